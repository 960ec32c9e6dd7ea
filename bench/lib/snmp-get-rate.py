#!/usr/bin/env python3
"""SNMPv2c GET load: one request in flight, the same OIDs each time, for SECONDS after a 1 s
warm-up; prints 'rate=N/s ok=N errors=N timeouts=N'. The same client for every agent, so the
ratio between agents compares the agents, not the clients.

usage: snmp-get-rate.py HOST PORT COMMUNITY SECONDS OID [OID...]
"""
import socket
import sys
import time


def length(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, body):
    return bytes([tag]) + length(len(body)) + body


def integer(n):
    b = n.to_bytes(max(1, (n.bit_length() + 8) // 8), "big", signed=True)
    return tlv(0x02, b)


def oid(dotted):
    arcs = [int(a) for a in dotted.strip(".").split(".")]
    body = bytearray([40 * arcs[0] + arcs[1]])
    for a in arcs[2:]:
        chunk = [a & 0x7F]
        a >>= 7
        while a:
            chunk.append(0x80 | (a & 0x7F))
            a >>= 7
        body += bytes(reversed(chunk))
    return tlv(0x06, bytes(body))


def get_request(community, request_id, oids):
    varbinds = b"".join(tlv(0x30, oid(o) + b"\x05\x00") for o in oids)
    pdu = tlv(0xA0, integer(request_id) + integer(0) + integer(0) + tlv(0x30, varbinds))
    return tlv(0x30, integer(1) + tlv(0x04, community.encode()) + pdu)


def read_tlv(buf, i):
    tag = buf[i]
    n = buf[i + 1]
    i += 2
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(buf[i:i + k], "big")
        i += k
    return tag, i, i + n


def response_id_and_error(buf):
    _, i, _ = read_tlv(buf, 0)          # message
    _, i, e = read_tlv(buf, i); i = e   # version
    _, i, e = read_tlv(buf, i); i = e   # community
    tag, i, _ = read_tlv(buf, i)        # PDU
    if tag != 0xA2:
        return None, None
    _, s, e = read_tlv(buf, i)
    rid = int.from_bytes(buf[s:e], "big", signed=True)
    _, s, e2 = read_tlv(buf, e)
    err = int.from_bytes(buf[s:e2], "big")
    return rid, err


def main():
    host, port, community, seconds = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
    oids = sys.argv[5:]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.connect((host, port))
    s.settimeout(1.0)
    rid = 1
    ok = errors = timeouts = 0
    start = time.monotonic()
    measure_from = start + 1.0
    end = measure_from + seconds
    counted = False
    while True:
        now = time.monotonic()
        if now >= end:
            break
        if not counted and now >= measure_from:
            ok = errors = timeouts = 0
            counted = True
            t0 = now
        rid = rid % 2_000_000_000 + 1
        s.send(get_request(community, rid, oids))
        try:
            while True:
                got, err = response_id_and_error(s.recv(65535))
                if got == rid:
                    break
        except socket.timeout:
            timeouts += 1
            continue
        if err:
            errors += 1
        else:
            ok += 1
    elapsed = time.monotonic() - t0
    print(f"rate={ok / elapsed:.0f}/s ok={ok} errors={errors} timeouts={timeouts}")


if __name__ == "__main__":
    main()
