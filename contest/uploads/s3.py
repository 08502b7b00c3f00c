"""The storage interface on an S3-compatible bucket (AWS, MinIO, Russian hosters' object
storage), so that several app servers and job workers share the drawings.

Objects are private: the app reads them and serves them through its own routes, after the
same checks as files on disk. Keys are the app's keys under an optional prefix of the bucket.
An object is written whole by one PUT (or a multipart upload completed at the end), so a
reader sees the old object or the new one, never half of one.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

import boto3
from botocore.exceptions import ClientError

from .storage import StoredStream, _files, check_key

_MISSING = {"404", "NoSuchKey", "NotFound"}
# A local copy (``local_path``) not handed out for this long is removed; each process looks
# at most this often when it fetches a copy, and the worker's sweep every ten minutes.
CACHE_UNUSED_SECONDS = 24 * 3600
PRUNE_EVERY_SECONDS = 3600


def _missing(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") in _MISSING


class S3Storage:
    """Objects in ``bucket`` under ``prefix``; ``cache``: a local folder for ``local_path``."""

    def __init__(self, bucket: str, prefix: str = "", cache: Path | str | None = None,
                 client=None, **client_options) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.cache = Path(cache) if cache else Path(tempfile.gettempdir()) / "contest-s3-cache"
        self.client = client or boto3.client("s3", **client_options)
        self._pruned_at = 0.0

    def _name(self, key: str) -> str:
        check_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def _key(self, name: str) -> str:
        return name[len(self.prefix) + 1:] if self.prefix else name

    def put(self, key: str, data: bytes) -> None:
        """One PUT: the object appears whole."""
        self.client.put_object(Bucket=self.bucket, Key=self._name(key), Body=data)

    @contextmanager
    def writer(self, key: str) -> Iterator[BinaryIO]:
        """A local temporary file, uploaded once the block ends without an error."""
        name = self._name(key)
        with tempfile.TemporaryFile() as file:
            yield file
            file.seek(0)
            self.client.upload_fileobj(file, self.bucket, name)

    def _get(self, key: str):
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as error:
            if _missing(error):
                raise FileNotFoundError(key) from None
            raise

    def open(self, key: str) -> BinaryIO:
        """The object's body as a stream; the caller closes it."""
        return self._get(key)["Body"]

    def stream(self, key: str) -> StoredStream:
        """The object's body as it arrives, with its length and its ETag, from one GET."""
        found = self._get(key)
        return StoredStream(found["Body"], found["ContentLength"], found["ETag"].strip('"'))

    def read(self, key: str) -> bytes:
        """The object's bytes."""
        with self.open(key) as body:
            return body.read()

    def delete(self, key: str) -> None:
        """Remove the object (removing what is not there is no error in S3)."""
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))

    def _head(self, key: str) -> dict:
        try:
            return self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as error:
            if _missing(error):
                raise FileNotFoundError(key) from None
            raise

    def exists(self, key: str) -> bool:
        """Whether an object is stored under ``key``."""
        try:
            self._head(key)
        except FileNotFoundError:
            return False
        return True

    def size(self, key: str) -> int:
        """The object's length in bytes."""
        return self._head(key)["ContentLength"]

    def modified(self, key: str) -> float:
        """When the object was stored."""
        return self._head(key)["LastModified"].timestamp()

    def local_path(self, key: str) -> Path:
        """A copy in the local cache, fetched when missing or older than the object (keys of
        drawings are written once: a turned drawing gets a new key). The copy's modification
        time is the object's, its access time when it was last handed out (``prune_cache``)."""
        head = self._head(key)
        stamp = head["LastModified"].timestamp()
        path = self.cache / self._name(key)
        now = time.time()
        try:
            if path.stat().st_mtime == stamp and path.stat().st_size == head["ContentLength"]:
                os.utime(path, (now, stamp))
                return path
        except FileNotFoundError:
            pass
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(handle, "wb") as file:
                self.client.download_fileobj(self.bucket, self._name(key), file)
            os.utime(temporary, (now, stamp))
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        if now - self._pruned_at >= PRUNE_EVERY_SECONDS:  # the cache grows only here
            self.prune_cache(now)
        return path

    def prune_cache(self, now: float | None = None) -> int:
        """Remove the local copies not handed out for ``CACHE_UNUSED_SECONDS`` before ``now``
        (the clock if not given), and what downloads killed that long ago left; returns how
        many. Each machine has its own cache: every process prunes it now and then."""
        now = time.time() if now is None else now
        self._pruned_at = now
        removed = 0
        for path in _files(self.cache):
            with suppress(OSError):  # removed meanwhile by another process
                if path.stat().st_atime < now - CACHE_UNUSED_SECONDS:
                    path.unlink()
                    removed += 1
        return removed

    def _names(self, prefix: str) -> Iterator[str]:
        start = self._name(prefix) + "/" if prefix else (f"{self.prefix}/" if self.prefix else "")
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket,
                                                                      Prefix=start)
        for page in pages:
            for item in page.get("Contents", ()):
                yield item["Key"]

    def delete_prefix(self, prefix: str) -> None:
        """Remove every object under ``prefix/``, a thousand a request."""
        names = list(self._names(check_key(prefix)))
        for start in range(0, len(names), 1000):
            self.client.delete_objects(Bucket=self.bucket, Delete={
                "Objects": [{"Key": name} for name in names[start:start + 1000]],
                "Quiet": True})

    def keys(self, prefix: str = "") -> Iterator[str]:
        """Every key (under ``prefix/``), in order (S3 lists keys sorted)."""
        for name in self._names(prefix):
            yield self._key(name)

    def sweep_unfinished(self, before: float) -> int:
        """Abort the multipart uploads (``writer``) of processes that died before ``before``."""
        aborted = 0
        found = self.client.list_multipart_uploads(Bucket=self.bucket,
                                                   Prefix=f"{self.prefix}/" if self.prefix else "")
        for upload in found.get("Uploads", ()):
            if upload["Initiated"].timestamp() < before:
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=upload["Key"],
                                                   UploadId=upload["UploadId"])
                aborted += 1
        return aborted


def from_url(url: str, cache: Path | str | None = None, endpoint_url: str | None = None
             ) -> S3Storage:
    """``s3://bucket/prefix`` (the prefix may be left out); credentials and region come from
    boto3's usual places (``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``,
    ``AWS_DEFAULT_REGION``, ``~/.aws``)."""
    if not url.startswith("s3://") or not url[5:].split("/", 1)[0]:
        raise ValueError(f"STORAGE_URL must be s3://bucket/prefix, not {url!r}")
    bucket, _, prefix = url[5:].partition("/")
    return S3Storage(bucket, prefix, cache=cache, endpoint_url=endpoint_url or None)
