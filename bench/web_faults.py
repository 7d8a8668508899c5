"""Faulty clients against a running `veerkracht serve` (bench/web_load.sh, issue 9):
200 slow clients (half a request line, then silence), 100 oversized bodies (1 MB POST)
and 300 malformed requests; prints the status codes each kind got and whether the slow
connections were closed by the server."""
import socket, sys, threading, time
from collections import Counter
from urllib.parse import urlparse

u = urlparse(sys.argv[1])
host, port = u.hostname, u.port

def status(sock):
    sock.settimeout(30)
    data = b""
    try:
        while b"\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    except OSError:
        return "reset"
    if not data:
        return "closed"
    parts = data.split(b" ", 2)
    return parts[1].decode() if len(parts) > 1 else "?"

def one(payload, results, kind, chunked_body=None):
    try:
        s = socket.create_connection((host, port), timeout=10)
        s.sendall(payload)
        if chunked_body:
            try:
                s.sendall(chunked_body)
            except OSError:
                pass
        results[kind][status(s)] += 1
        s.close()
    except OSError as e:
        results[kind]["connect error"] += 1

results = {k: Counter() for k in ("slow", "oversized", "malformed")}
# slow clients: connect, send half a request line, keep silent
slow = []
t0 = time.time()
for _ in range(200):
    try:
        s = socket.create_connection((host, port), timeout=10)
        s.sendall(b"GET /api/v1/areas HTT")
        slow.append(s)
    except OSError:
        results["slow"]["connect error"] += 1
threads = []
big = b"{" * (1 << 20)
head = (f"POST /api/v1/scenarios/run HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(big)}\r\nConnection: close\r\n\r\n").encode()
for _ in range(100):
    threads.append(threading.Thread(target=one, args=(head, results, "oversized", big)))
bad = [
    b"POST /api/v1/scenarios/run HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 9\r\nConnection: close\r\n\r\n{\"scenar\"",
    b"GET /api/v1/areas?level=buurt&bestaat=niet HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    b"GET /api/v1/areas/XX123 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    b"\x16\x03\x01 not http\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\nConnection: close\r\n\r\n",
    b"BREW /pot HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
]
for i in range(300):
    threads.append(threading.Thread(target=one, args=(bad[i % len(bad)], results, "malformed")))
for t in threads:
    t.start()
for t in threads:
    t.join()
# the slow ones: closed by the server after its header timeout (10 s by default)
for s in slow:
    results["slow"][status(s)] += 1
    s.close()
for k, c in results.items():
    print(f"{k:<10} " + ", ".join(f"{v}× {s}" for s, v in sorted(c.items())))
print(f"(faults took {time.time() - t0:.1f} s)")
