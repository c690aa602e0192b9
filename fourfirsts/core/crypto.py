"""Encryption at rest for personal data (身份证号、手机号) with 国密 algorithms.

Values are encrypted with SM4-GCM and found again through a keyed look-up hash,
HMAC-SM3, so a lookup never needs to decrypt every row. Everything goes through
the small `Cipher` protocol so that a certified crypto service (密码机/密码服务)
can replace `SM4Cipher` later without touching the callers.

Settings
--------
``FOURFIRSTS_DATA_KEY``
    The master key, read from the environment variable of the same name. Either
    hex of at least 64 hex characters (32 bytes), or base64 (URL-safe ``-_`` or
    standard ``+/`` alphabet, padding optional) decoding to at least 32 bytes.
    Generate one with ``python -c "import secrets; print(secrets.token_hex(32))"``.
    Losing or changing it makes every stored value unreadable.
``FOURFIRSTS_CIPHER_CLASS``
    Dotted path of the `Cipher` class, default ``fourfirsts.core.crypto.SM4Cipher``.
    The class is called with the decoded master key (bytes).

Token format: ``"v1:" + urlsafe_b64(nonce[12] + ciphertext + tag[16])``. The
version prefix leaves room for key rotation or a new algorithm.
"""

import base64
import binascii
import functools
import os
import re
import unicodedata
from typing import Protocol, runtime_checkable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher as _BlockCipher
from cryptography.hazmat.primitives.ciphers import algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

MIN_KEY_BYTES = 32
VERSION = "v1:"
NONCE_BYTES = 12
TAG_BYTES = 16

# Distinct HKDF labels give independent subkeys: knowing the look-up key reveals
# nothing about the encryption key. Changing a label orphans all stored data.
_ENC_LABEL = b"fourfirsts/v1/sm4-gcm/encryption"
_MAC_LABEL = b"fourfirsts/v1/hmac-sm3/lookup"

_HEX_RE = re.compile(r"[0-9a-fA-F]+")
_B64_RE = re.compile(r"[A-Za-z0-9_-]+={0,2}")


class DecryptionError(ValueError):
    """A token that is malformed, tampered with, or made under another key."""


@runtime_checkable
class Cipher(Protocol):
    def encrypt(self, plaintext: str) -> str: ...

    def decrypt(self, token: str) -> str: ...

    def lookup_hash(self, plaintext: str) -> str: ...


def _derive(master_key: bytes, label: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SM3(), length=length, salt=None, info=label).derive(master_key)


def normalise_for_lookup(plaintext: str) -> str:
    """Fold the spellings of one value together: full-width digits and letters
    (NFKC), any whitespace, and the 身份证 check letter x/X."""
    folded = unicodedata.normalize("NFKC", plaintext)
    return "".join(folded.split()).upper()


class SM4Cipher:
    """SM4-GCM encryption and HMAC-SM3 look-up hashes from one master key."""

    def __init__(self, master_key: bytes):
        if not isinstance(master_key, bytes) or len(master_key) < MIN_KEY_BYTES:
            raise ValueError(_("主密钥至少需要 %(n)s 字节") % {"n": MIN_KEY_BYTES})
        self._enc_key = _derive(master_key, _ENC_LABEL, 16)  # SM4 takes 128-bit keys
        self._mac_key = _derive(master_key, _MAC_LABEL, 32)

    def encrypt(self, plaintext: str) -> str:
        if plaintext == "":
            return ""  # blank fields stay blank
        nonce = os.urandom(NONCE_BYTES)
        encryptor = _BlockCipher(algorithms.SM4(self._enc_key), modes.GCM(nonce)).encryptor()
        # The version is authenticated too, so a token can't be relabelled.
        encryptor.authenticate_additional_data(VERSION.encode())
        body = encryptor.update(plaintext.encode()) + encryptor.finalize()
        raw = nonce + body + encryptor.tag
        return VERSION + base64.urlsafe_b64encode(raw).decode("ascii")

    def decrypt(self, token: str) -> str:
        if token == "":
            return ""
        nonce, body, tag = _split_token(token)
        decryptor = _BlockCipher(algorithms.SM4(self._enc_key), modes.GCM(nonce, tag)).decryptor()
        decryptor.authenticate_additional_data(VERSION.encode())
        try:
            data = decryptor.update(body) + decryptor.finalize()
            return data.decode()
        except (InvalidTag, UnicodeDecodeError):
            raise DecryptionError(_("解密失败：密文已损坏、被篡改或密钥不匹配")) from None

    def lookup_hash(self, plaintext: str) -> str:
        normalised = normalise_for_lookup(plaintext)
        if normalised == "":
            return ""
        mac = hmac.HMAC(self._mac_key, hashes.SM3())
        mac.update(normalised.encode())
        return mac.finalize().hex()


def _split_token(token: str) -> tuple[bytes, bytes, bytes]:
    if not isinstance(token, str) or not token.startswith(VERSION):
        raise DecryptionError(_("解密失败：密文格式或版本无法识别"))
    try:
        # validate=True: stray characters are an error, not silently dropped.
        raw = base64.b64decode(token[len(VERSION) :], altchars=b"-_", validate=True)
    except ValueError:  # binascii.Error and non-ASCII input both land here
        raise DecryptionError(_("解密失败：密文不是有效的 base64")) from None
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError(_("解密失败：密文长度不足"))
    return raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]


def parse_key(value) -> bytes:
    """Decode the FOURFIRSTS_DATA_KEY setting. Messages never echo the key."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise ImproperlyConfigured(
            _("未设置 FOURFIRSTS_DATA_KEY（32 字节以上的十六进制或 base64 密钥）")
        )
    # An all-hex string is read as hex only: reading a short hex key as base64
    # would pass the length check with far less entropy than it claims.
    if _HEX_RE.fullmatch(text):
        if len(text) < 2 * MIN_KEY_BYTES or len(text) % 2:
            raise ImproperlyConfigured(
                _("FOURFIRSTS_DATA_KEY 的十六进制密钥须为偶数位且至少 %(n)s 位")
                % {"n": 2 * MIN_KEY_BYTES}
            )
        return bytes.fromhex(text)
    return _parse_base64_key(text)


def _parse_base64_key(text: str) -> bytes:
    urlsafe = text.replace("+", "-").replace("/", "_")
    key = None
    if _B64_RE.fullmatch(urlsafe):
        unpadded = urlsafe.rstrip("=")
        try:
            key = base64.urlsafe_b64decode(unpadded + "=" * (-len(unpadded) % 4))
        except binascii.Error:
            key = None
    if key is None or len(key) < MIN_KEY_BYTES:
        raise ImproperlyConfigured(
            _(
                "FOURFIRSTS_DATA_KEY 须为至少 %(digits)s 位十六进制，"
                "或解码后至少 %(bytes)s 字节的 base64"
            )
            % {"digits": 2 * MIN_KEY_BYTES, "bytes": MIN_KEY_BYTES}
        )
    return key


@functools.cache
def get_cipher() -> Cipher:
    """The process-wide cipher built from settings; cached because key
    derivation and the class import need only happen once."""
    key = parse_key(getattr(settings, "FOURFIRSTS_DATA_KEY", None))
    path = getattr(settings, "FOURFIRSTS_CIPHER_CLASS", "fourfirsts.core.crypto.SM4Cipher")
    try:
        cipher_class = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(_("无法导入 FOURFIRSTS_CIPHER_CLASS：%(path)s") % {"path": path}) from exc
    return cipher_class(key)


def reset_cipher_cache() -> None:
    get_cipher.cache_clear()


@receiver(setting_changed)
def _reset_on_setting_change(*, setting, **kwargs):
    if setting in ("FOURFIRSTS_DATA_KEY", "FOURFIRSTS_CIPHER_CLASS"):
        reset_cipher_cache()


def _mask(value: str | None, head: int, full_rule_len: int) -> str:
    """Show `head` leading and 4 trailing characters once a value is at least
    `full_rule_len` long; shorter values show at most the last 4, and only
    when at least as many stay hidden."""
    text = (value or "").strip()
    tail = 4
    if not text:
        return ""
    if len(text) >= full_rule_len:
        return text[:head] + "*" * (len(text) - head - tail) + text[-tail:]
    if len(text) >= 2 * tail:
        return "*" * (len(text) - tail) + text[-tail:]
    return "*" * len(text)


def mask_id_number(value: str | None) -> str:
    """430102199001011234 -> 430***********1234 (15- and 18-digit numbers)."""
    return _mask(value, head=3, full_rule_len=15)


def mask_phone(value: str | None) -> str:
    """13812345678 -> 138****5678."""
    return _mask(value, head=3, full_rule_len=11)
