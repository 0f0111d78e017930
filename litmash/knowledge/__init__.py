"""The genre knowledge base: sourced facts litmash ships, and a small typed query API.

    from litmash.knowledge import knowledge, resolve
    kb = knowledge()                      # loaded and validated once per process
    kb.get("hip_hop").origin.places       # ['The Bronx', 'New York City', 'United States']
    resolve("Blend jazz and hip-hop").ids # ('jazz', 'hip_hop')
"""

from litmash.knowledge.base import KnowledgeBase, fold, knowledge
from litmash.knowledge.blend import compatibility, complete, shortlist
from litmash.knowledge.context import cultural_context, prompt_facts, source_text
from litmash.knowledge.query import search
from litmash.knowledge.resolve import Resolution, closest, mentioned, resolve
from litmash.knowledge.schema import Concept, Genre

__all__ = [
    "Concept", "Genre", "KnowledgeBase", "Resolution", "closest", "compatibility", "complete",
    "cultural_context", "fold", "knowledge", "mentioned", "prompt_facts", "resolve", "search",
    "shortlist", "source_text",
]
