"""Q&A mode: readers ask, a story's designated experts answer."""
