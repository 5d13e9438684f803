from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.teams.fakes import FakeMicrosoft, jwk, rsa_key


@pytest.fixture(scope="session")
def signing_key() -> rsa.RSAPrivateKey:
    """The locally generated key the fake Bot Framework signs tokens with."""
    return rsa_key()


@pytest.fixture(scope="session")
def other_key() -> rsa.RSAPrivateKey:
    """A key nobody published: tokens signed with it are forgeries."""
    return rsa_key()


@pytest.fixture
def ms(tmp_path: Path, signing_key: rsa.RSAPrivateKey) -> Iterator[FakeMicrosoft]:
    fake = FakeMicrosoft(tmp_path)
    fake.jwks.append(jwk(signing_key, "key-1", ["msteams"]))
    yield fake
    fake.close()
