"""Helpers shared by the standalone scripts in Tools/ (each imports this file from beside itself)."""
import hashlib


def sha256(path):
    """The hex SHA-256 of the file at `path` (read in blocks, never whole)."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
