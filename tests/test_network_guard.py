import socket

import pytest

from tests.conftest import NetworkBlocked


def test_connections_beyond_loopback_fail() -> None:
    with pytest.raises(NetworkBlocked), socket.create_connection(("192.0.2.1", 80), timeout=1):
        pass


def test_loopback_is_allowed() -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    with socket.create_connection(server.getsockname(), timeout=1):
        pass
    server.close()
