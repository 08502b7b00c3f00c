"""Tracking codes: what a family keeps to follow its entry without an account."""

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
