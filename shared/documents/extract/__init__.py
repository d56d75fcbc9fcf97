"""Extraction of PDF, DOCX and PPTX into sections. Runs inside the sandboxed child process.

Nothing here imports pydantic or the app: the child starts fast and owns only the file.
"""
