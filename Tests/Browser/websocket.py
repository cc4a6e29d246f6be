"""A minimal WebSocket client (RFC 6455), standard library only: enough to speak Chrome's DevTools
protocol over loopback. Text and binary messages, fragmentation, ping/pong and close."""

import base64
import hashlib
import os
import socket
import struct

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

OP_CONTINUATION, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA


class WebSocketError(Exception):
    pass


def accept_key(key):
    """What the server must answer in Sec-WebSocket-Accept for our Sec-WebSocket-Key."""
    return base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()


def mask(payload, key):
    """XORs payload with the 4-byte key, as one big integer: fast enough for screenshots' sizes."""
    if not payload:
        return b""
    repeated = (key * (len(payload) // 4 + 1))[: len(payload)]
    return (int.from_bytes(payload, "big") ^ int.from_bytes(repeated, "big")).to_bytes(len(payload), "big")


def encode_frame(opcode, payload, fin=True, key=None):
    """One client frame. Clients must mask every frame (RFC 6455 5.3); `key` is random unless given."""
    key = key if key is not None else os.urandom(4)
    first = (0x80 if fin else 0) | opcode
    length = len(payload)
    if length < 126:
        header = struct.pack("!BB", first, 0x80 | length)
    elif length < 1 << 16:
        header = struct.pack("!BBH", first, 0x80 | 126, length)
    else:
        header = struct.pack("!BBQ", first, 0x80 | 127, length)
    return header + key + mask(payload, key)


def read_frame(stream):
    """(fin, opcode, payload) of the next frame on a buffered binary stream."""
    head = read_exactly(stream, 2)
    fin = bool(head[0] & 0x80)
    opcode = head[0] & 0x0F
    masked = bool(head[1] & 0x80)
    length = head[1] & 0x7F
    if length == 126:
        (length,) = struct.unpack("!H", read_exactly(stream, 2))
    elif length == 127:
        (length,) = struct.unpack("!Q", read_exactly(stream, 8))
    key = read_exactly(stream, 4) if masked else None
    payload = read_exactly(stream, length)
    return fin, opcode, mask(payload, key) if key else payload


def read_exactly(stream, count):
    data = stream.read(count)
    if data is None or len(data) < count:
        raise WebSocketError("the connection closed in the middle of a frame")
    return data


class WebSocket:
    """A connected client. `receive()` returns the next whole text or binary message, answering
    pings on the way; `None` once the server has closed."""

    def __init__(self, host, port, path, timeout=60.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.stream = self.sock.makefile("rb")
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        status = self.stream.readline().decode("latin-1").strip()
        headers = {}
        while True:
            line = self.stream.readline().decode("latin-1")
            if line in ("\r\n", "\n", ""):
                break
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if not status.startswith("HTTP/1.1 101"):
            raise WebSocketError(f"the WebSocket handshake with {host}:{port}{path} was refused: {status}")
        if headers.get("sec-websocket-accept") != accept_key(key):
            raise WebSocketError("the server's Sec-WebSocket-Accept does not match our key")
        self.closed = False

    def send_text(self, text):
        self.sock.sendall(encode_frame(OP_TEXT, text.encode("utf-8")))

    def receive(self):
        parts = []
        message_opcode = None
        while True:
            fin, opcode, payload = read_frame(self.stream)
            if opcode == OP_PING:
                self.sock.sendall(encode_frame(OP_PONG, payload))
                continue
            if opcode == OP_PONG:
                continue
            if opcode == OP_CLOSE:
                if not self.closed:
                    self.closed = True
                    self.sock.sendall(encode_frame(OP_CLOSE, payload[:2]))
                return None
            if opcode in (OP_TEXT, OP_BINARY):
                if message_opcode is not None:
                    raise WebSocketError("a new message began before the fragmented one ended")
                message_opcode = opcode
            elif opcode != OP_CONTINUATION or message_opcode is None:
                raise WebSocketError(f"unexpected frame opcode {opcode}")
            parts.append(payload)
            if fin:
                data = b"".join(parts)
                return data.decode("utf-8") if message_opcode == OP_TEXT else data

    def close(self):
        if not self.closed:
            self.closed = True
            try:
                self.sock.sendall(encode_frame(OP_CLOSE, struct.pack("!H", 1000)))
            except OSError:
                pass
        self.stream.close()
        self.sock.close()
