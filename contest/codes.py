"""Tracking codes: what a family keeps to follow its entry without an account."""

import logging
import re
import secrets

# Unambiguous letters and digits (no 0/O, 1/I/L): easy to read out over the phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10  # 31^10 ≈ 8·10^14: not guessable, still short


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """ABCDEFGHJK -> ABCD-EFG-HJK, for reading aloud and writing down."""
    return f"{code[:4]}-{code[4:7]}-{code[7:]}"


def normalize_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch in CODE_ALPHABET)


# The addresses that hold a code: the status page (and everything under it), the receipt, and
# the one-time links that confirm a family's request.
CODE_IN_PATH = re.compile(r"(/status/(?:confirm/)?|/submit/done/)[^/\s?#\"']+")
HIDDEN = "[code]"
# Request logs (the development server's, gunicorn's) and the app's own.
LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


def redact(text: str) -> str:
    """``GET /status/ABCDEFGHJK/drawing.jpg`` -> ``GET /status/[code]/drawing.jpg``."""
    return CODE_IN_PATH.sub(lambda m: m.group(1) + HIDDEN, text)


class RedactCodes(logging.Filter):
    """Keeps tracking codes out of log lines: a log is read by more people than the family."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def keep_codes_out_of_logs(*loggers: logging.Logger) -> None:
    """Add the filter to the request loggers and to ``loggers`` (once each)."""
    for logger in [*map(logging.getLogger, LOGGERS), *loggers]:
        if not any(isinstance(f, RedactCodes) for f in logger.filters):
            logger.addFilter(RedactCodes())
