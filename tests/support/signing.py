"""Test certificates for signed PDFs: a CA, a signing certificate issued by it (as a .p12
file), and a SoftHSM2 token holding a key and certificate (a USB token stand-in)."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSWORD = "mật-khẩu-thử"
PIN = "123456"
SO_PIN = "12345678"
SOFTHSM_LIBS = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
                "/usr/local/lib/softhsm/libsofthsm2.so", "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so")


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "UBND xã Bát Tràng"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common)])


@dataclass
class TestCA:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate
    pem: Path

    def issue(self, public_key, common: str) -> x509.Certificate:
        now = datetime.now(UTC)
        return (x509.CertificateBuilder().subject_name(_name(common)).issuer_name(self.cert.subject)
                .public_key(public_key).serial_number(x509.random_serial_number())
                .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=365))
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                             data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                             crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
                               critical=False)
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
                .sign(self.key, hashes.SHA256()))


def make_ca(folder: Path) -> TestCA:
    folder.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.COMMON_NAME, "CA thử nghiệm CĐS")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=2))
            .not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    pem = folder / "ca.pem"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return TestCA(key, cert, pem)


def make_p12(ca: TestCA, path: Path, common: str = "Nguyễn Văn An", password: str = PASSWORD) -> Path:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = ca.issue(key.public_key(), common)
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"cds", key, cert, [ca.cert], serialization.BestAvailableEncryption(password.encode())))
    return path


def softhsm_library() -> str | None:
    found = next((lib for lib in SOFTHSM_LIBS if Path(lib).is_file()), None)
    return found if found and shutil.which("softhsm2-util") else None


@dataclass
class Token:
    library: str
    slot: int
    conf: Path


@cache
def shared_ca() -> TestCA:
    """The test CA of this process (made once)."""
    folder = Path(tempfile.mkdtemp(prefix="cds-test-ca-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return make_ca(folder)


@cache
def shared_token() -> Token:
    """The SoftHSM2 token of this process (made once: the PKCS#11 library reads its configuration
    once per process, so every test of a process uses the same token)."""
    folder = Path(tempfile.mkdtemp(prefix="cds-test-token-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return make_token(shared_ca(), folder)


def make_token(ca: TestCA, folder: Path, common: str = "Trần Thị Bình") -> Token:
    """A SoftHSM2 token (its own config and token folder, set in ``SOFTHSM2_CONF`` for this
    process) with an EC key pair and a certificate issued by *ca* for it, both with ID 01."""
    import pkcs11
    from pkcs11 import Attribute, KeyType, Mechanism, ObjectClass
    from pkcs11.util.ec import encode_named_curve_parameters

    library = softhsm_library()
    assert library is not None
    tokens = folder / "tokens"
    tokens.mkdir(parents=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", "cds-test", "--pin", PIN,
                    "--so-pin", SO_PIN], check=True, capture_output=True, env={**os.environ})
    lib = pkcs11.lib(library)
    token = lib.get_token(token_label="cds-test")
    slot = next(i for i, s in enumerate(lib.get_slots(token_present=True)) if s.get_token().label == "cds-test")
    with token.open(rw=True, user_pin=PIN) as session:
        params = session.create_domain_parameters(
            KeyType.EC, {Attribute.EC_PARAMS: encode_named_curve_parameters("secp256r1")}, local=True)
        public, _private = params.generate_keypair(store=True, label="cds-sign", id=b"\x01",
                                                   mechanism=Mechanism.EC_KEY_PAIR_GEN)
        point = public[Attribute.EC_POINT]
        from asn1crypto.core import OctetString

        raw = OctetString.load(point).native
        ec_public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
        cert = ca.issue(ec_public, common)
        session.create_object({Attribute.CLASS: ObjectClass.CERTIFICATE,
                               Attribute.CERTIFICATE_TYPE: pkcs11.CertificateType.X_509,
                               Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
                               Attribute.SUBJECT: cert.subject.public_bytes(), Attribute.ID: b"\x01",
                               Attribute.LABEL: "cds-sign", Attribute.TOKEN: True})
    return Token(library, slot, conf)
