"""Records: the request, the mashup and its parts, the music block (pydantic). Imports no other room."""
