"""BLAKE2 digests without loading OpenSSL: the cache's keys and checksums, the saves folder's names.

`hashlib`'s import loads OpenSSL, some 4 ms of every start; Python's own BLAKE2
(`_blake2`) gives the same digests without it.
"""

from __future__ import annotations


def digest(data: bytes, size: int) -> bytes:
    """The BLAKE2b digest of `data`, `size` bytes long."""
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - a Python built without its own BLAKE2
        from hashlib import blake2b
    return blake2b(data, digest_size=size).digest()
