"""SM4-GCM encryption, HMAC-SM3 look-up hashes, key settings and masking.

Most tests build `SM4Cipher` directly; the `get_cipher` tests need Django
settings, configured minimally here when no settings module is in play.
"""

import base64
import os
import re

import pytest
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher as BlockCipher
from cryptography.hazmat.primitives.ciphers import algorithms, modes
from django.conf import settings

HEX_KEY = "0f4e1a5c7b2d9e3f60718293a4b5c6d7e8f9021324354657687980a1b2c3d4e5"

if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):
    settings.configure(
        FOURFIRSTS_DATA_KEY=HEX_KEY,
        FOURFIRSTS_CIPHER_CLASS="fourfirsts.core.crypto.SM4Cipher",
    )

from django.core.exceptions import ImproperlyConfigured  # noqa: E402
from django.test import override_settings  # noqa: E402

from fourfirsts.core.crypto import (  # noqa: E402
    Cipher,
    DecryptionError,
    SM4Cipher,
    get_cipher,
    mask_id_number,
    mask_phone,
    parse_key,
    reset_cipher_cache,
)

KEY = bytes(range(32))
ID_NUMBER = "430102199001011234"


@pytest.fixture
def cipher():
    return SM4Cipher(KEY)


def token_bytes(token: str) -> bytes:
    return base64.urlsafe_b64decode(token.removeprefix("v1:"))


def rebuild(raw: bytes) -> str:
    return "v1:" + base64.urlsafe_b64encode(raw).decode()


def sm3_hmac(key: bytes, data: bytes) -> str:
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize().hex()


def is_chinese(message: str) -> bool:
    return re.search(r"[\u4e00-\u9fff]", message) is not None


# --- encryption ---------------------------------------------------------------


@pytest.mark.parametrize(
    "plaintext",
    ["张三", ID_NUMBER, "湖南省长沙市芙蓉区 五一大道 1 号 🏢", " 前后空格 ", "长" * 5000],
)
def test_round_trip(cipher, plaintext):
    assert cipher.decrypt(cipher.encrypt(plaintext)) == plaintext


def test_token_is_versioned_base64_of_nonce_ciphertext_tag(cipher):
    token = cipher.encrypt("张三")
    assert token.startswith("v1:")
    assert len(token_bytes(token)) == 12 + len("张三".encode()) + 16
    assert "张三" not in token


def test_same_plaintext_gives_different_tokens(cipher):
    tokens = {cipher.encrypt(ID_NUMBER) for _ in range(50)}
    assert len(tokens) == 50
    assert len({token_bytes(t)[:12] for t in tokens}) == 50


@pytest.mark.parametrize("position", [0, 11, 12, -17, -16, -1], ids=str)
def test_flipped_bit_anywhere_is_detected(cipher, position):
    raw = bytearray(token_bytes(cipher.encrypt(ID_NUMBER)))
    raw[position] ^= 0x01
    with pytest.raises(DecryptionError) as caught:
        cipher.decrypt(rebuild(bytes(raw)))
    assert isinstance(caught.value, ValueError)
    assert is_chinese(str(caught.value))


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-4],  # truncated
        lambda t: t[3:],  # version prefix dropped
        lambda t: "v2:" + t[3:],  # relabelled version
        lambda t: t[:10] + "!" + t[10:],  # stray character
        lambda t: t[:10] + "长" + t[10:],  # non-ASCII
        lambda t: "v1:" + base64.urlsafe_b64encode(b"x" * 27).decode(),  # too short
        lambda t: "v1:",
        lambda t: "garbage",
    ],
)
def test_malformed_token_raises_decryption_error(cipher, mangle):
    with pytest.raises(DecryptionError) as caught:
        cipher.decrypt(mangle(cipher.encrypt(ID_NUMBER)))
    assert is_chinese(str(caught.value))


def test_other_key_cannot_decrypt(cipher):
    token = cipher.encrypt(ID_NUMBER)
    with pytest.raises(DecryptionError):
        SM4Cipher(bytes(range(1, 33))).decrypt(token)


def test_stored_token_stays_readable():
    # Frozen output: if key derivation or the format changes, stored data breaks.
    token = "v1:5MSbuudd54hdQXDf5Tg2Ru3gFv9DQsq6wsUsAOhF6XdrrC7rbLgizHVWNxrAizkwhHinONM="
    frozen_hash = "3585c86c667c1baf79fdfa75a26d2103bef2fea7cbbbb5b693795629343c5e19"
    cipher = SM4Cipher(KEY)
    assert cipher.decrypt(token) == "张三 430102199001011234"
    assert cipher.lookup_hash("43010219900101123X") == frozen_hash


def test_library_sm4_gcm_matches_rfc8998_vector():
    # A certified service must produce the same SM4-GCM output (RFC 8998 A.1).
    key = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
    nonce = bytes.fromhex("00001234567800000000ABCD")
    aad = bytes.fromhex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2")
    plaintext = bytes.fromhex("".join(c * 16 for c in "ABCDEFEA"))
    encryptor = BlockCipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    ciphertext = encryptor.update(plaintext) + encryptor.finalize()
    assert ciphertext.hex().upper() == (
        "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"
        "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"
    )
    assert encryptor.tag.hex().upper() == "83DE3541E4C2B58177E065A9BF7B62EC"


@pytest.mark.parametrize("bad", [b"", b"k" * 31, "k" * 32])
def test_master_key_must_be_32_bytes(bad):
    with pytest.raises(ValueError):
        SM4Cipher(bad)


# --- look-up hash -------------------------------------------------------------


def test_lookup_hash_is_deterministic_hex(cipher):
    digest = cipher.lookup_hash(ID_NUMBER)
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert SM4Cipher(KEY).lookup_hash(ID_NUMBER) == digest


@pytest.mark.parametrize(
    "a, b",
    [
        ("43010219900101123x", "43010219900101123X"),
        ("138 1234 5678", "13812345678"),
        (" 13812345678\t", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),  # full-width digits
        ("138\u30001234\u30005678", "13812345678"),  # ideographic spaces
    ],
)
def test_lookup_hash_normalises(cipher, a, b):
    assert cipher.lookup_hash(a) == cipher.lookup_hash(b)


def test_lookup_hash_tells_values_apart(cipher):
    assert cipher.lookup_hash("13812345678") != cipher.lookup_hash("13812345679")


def test_different_keys_give_different_hashes(cipher):
    assert SM4Cipher(bytes(range(1, 33))).lookup_hash(ID_NUMBER) != cipher.lookup_hash(ID_NUMBER)


def test_subkeys_are_independent_of_each_other_and_the_master_key(cipher):
    enc, mac = cipher._enc_key, cipher._mac_key
    assert len(enc) == 16 and len(mac) == 32
    assert enc not in mac and enc not in KEY and mac != KEY
    data = ID_NUMBER.encode()
    sm3 = hashes.Hash(hashes.SM3())
    sm3.update(data)
    trivial = {sm3_hmac(k, data) for k in (KEY, KEY[:16], enc)} | {sm3.finalize().hex()}
    assert cipher.lookup_hash(ID_NUMBER) not in trivial


def test_blank_stays_blank(cipher):
    assert cipher.encrypt("") == ""
    assert cipher.decrypt("") == ""
    assert cipher.lookup_hash("") == ""
    assert cipher.lookup_hash("   ") == ""


def test_sm4_cipher_satisfies_protocol(cipher):
    assert isinstance(cipher, Cipher)


# --- masking ------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, masked",
    [
        ("430102199001011234", "430***********1234"),
        ("43010219900101123x", "430***********123x"),
        ("430102900101123", "430********1123"),  # 15-digit old number
        ("", ""),
        (None, ""),
        ("   ", ""),
        ("12345678901", "*******8901"),  # odd length: last 4 only
        ("12345678", "****5678"),
        ("1234567", "*******"),  # too short to show anything
        ("1234", "****"),
    ],
)
def test_mask_id_number(value, masked):
    assert mask_id_number(value) == masked


@pytest.mark.parametrize(
    "value, masked",
    [
        ("13812345678", "138****5678"),
        ("", ""),
        (None, ""),
        ("0731884321", "******4321"),
        ("8843210", "*******"),
        ("110", "***"),
    ],
)
def test_mask_phone(value, masked):
    assert mask_phone(value) == masked


@pytest.mark.parametrize("mask", [mask_id_number, mask_phone])
def test_masks_never_reveal_more_than_the_rule(mask):
    for length in range(1, 40):
        value = "".join(str(i % 10) for i in range(length))
        masked = mask(value)
        shown = len(masked) - masked.count("*")
        assert len(masked) == length
        assert shown <= 7  # the full rule: 3 leading + 4 trailing
        assert length - shown >= min(length, 4)  # at least 4 always hidden


# --- get_cipher and settings -------------------------------------------------


class ReversingCipher:
    """A stand-in for a certified crypto service."""

    def __init__(self, master_key: bytes):
        self.master_key = master_key

    def encrypt(self, plaintext: str) -> str:
        return plaintext[::-1]

    def decrypt(self, token: str) -> str:
        return token[::-1]

    def lookup_hash(self, plaintext: str) -> str:
        return plaintext


@pytest.fixture(autouse=True)
def fresh_cache():
    reset_cipher_cache()
    yield
    reset_cipher_cache()


KEY_BYTES = bytes.fromhex(HEX_KEY)


def test_get_cipher_is_cached_and_works():
    with override_settings(FOURFIRSTS_DATA_KEY=HEX_KEY):
        first = get_cipher()
        assert get_cipher() is first
        assert isinstance(first, SM4Cipher)
        assert first.decrypt(first.encrypt("李四")) == "李四"
        assert first.lookup_hash(ID_NUMBER) == SM4Cipher(KEY_BYTES).lookup_hash(ID_NUMBER)


@pytest.mark.parametrize(
    "encoded",
    [
        HEX_KEY.upper(),
        f"  {HEX_KEY}\n",
        base64.urlsafe_b64encode(KEY_BYTES).decode(),
        base64.urlsafe_b64encode(KEY_BYTES).decode().rstrip("="),
        base64.b64encode(KEY_BYTES).decode(),
    ],
)
def test_key_encodings_decode_to_the_same_key(encoded):
    assert parse_key(encoded) == KEY_BYTES


def test_changing_a_setting_resets_the_cache():
    with override_settings(FOURFIRSTS_DATA_KEY=HEX_KEY):
        before = get_cipher()
    with override_settings(FOURFIRSTS_DATA_KEY="ab" * 32):
        after = get_cipher()
    assert after is not before
    assert after.lookup_hash(ID_NUMBER) != before.lookup_hash(ID_NUMBER)


def test_cipher_class_can_be_swapped():
    with override_settings(
        FOURFIRSTS_DATA_KEY=HEX_KEY, FOURFIRSTS_CIPHER_CLASS=f"{__name__}.ReversingCipher"
    ):
        swapped = get_cipher()
        assert isinstance(swapped, ReversingCipher)
        assert isinstance(swapped, Cipher)
        assert swapped.master_key == KEY_BYTES


def test_unimportable_cipher_class_is_improperly_configured():
    with override_settings(FOURFIRSTS_CIPHER_CLASS="fourfirsts.core.crypto.NoSuchCipher"):
        with pytest.raises(ImproperlyConfigured):
            get_cipher()


@pytest.mark.parametrize(
    "bad",
    [
        None,
        "",
        "   ",
        12345,
        "ab" * 31,  # hex, 31 bytes
        "a" * 65,  # odd number of hex digits
        "0" * 48,  # short hex must not pass as base64
        base64.urlsafe_b64encode(b"k" * 31).decode(),
        "this is not a key at all, not even close!!!!",
        "密钥" * 30,
    ],
)
def test_bad_key_is_improperly_configured(bad):
    with override_settings(FOURFIRSTS_DATA_KEY=bad):
        with pytest.raises(ImproperlyConfigured) as caught:
            get_cipher()
    assert is_chinese(str(caught.value))


def test_error_message_does_not_echo_the_key():
    secret = "s3cret-but-too-short"
    with override_settings(FOURFIRSTS_DATA_KEY=secret):
        with pytest.raises(ImproperlyConfigured) as caught:
            get_cipher()
    assert secret not in str(caught.value)
