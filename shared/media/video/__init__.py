"""Producing the media files: slide images, the narration timeline, captions, and the ffmpeg encodes."""
