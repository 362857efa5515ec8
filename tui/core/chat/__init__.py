"""Chat sessions: settings, streaming replies, transcripts, compare mode, quick prompts."""
