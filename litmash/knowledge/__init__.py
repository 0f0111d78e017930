"""The genre knowledge base: sourced facts litmash ships, and a small typed query API.

    from litmash.knowledge import knowledge, resolve
    kb = knowledge()                      # loaded and validated once per process
    kb.get("hip_hop").origin.places       # ['The Bronx', 'New York City', 'United States']
    resolve("Blend jazz and hip-hop").ids # ('jazz', 'hip_hop')
"""

from .base import KnowledgeBase, fold, knowledge
from .blend import compatibility, complete, shortlist
from .context import cultural_context, prompt_facts, source_text
from .query import search
from .resolve import Resolution, closest, mentioned, resolve
from .schema import Concept, Genre

__all__ = [
    "Concept", "Genre", "KnowledgeBase", "Resolution", "closest", "compatibility", "complete",
    "cultural_context", "fold", "knowledge", "mentioned", "prompt_facts", "resolve", "search",
    "shortlist", "source_text",
]
