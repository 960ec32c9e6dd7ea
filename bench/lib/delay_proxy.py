#!/usr/bin/env python3
"""TCP delay proxy for the migration benchmark: adds a fixed delay to each direction.

usage: delay_proxy.py LISTEN_PORT TARGET_HOST TARGET_PORT [DELAY_MS]   (default 10 ms each way)

Every chunk read from one side is forwarded to the other side DELAY_MS after it arrived. The
forwarding is scheduled (loop.call_at) rather than slept inline, so a connection keeps reading
while earlier chunks wait: latency goes up by DELAY_MS per direction (RTT + 2 * DELAY_MS) but
throughput is not serialised. Order is kept (one queue per direction, deadlines only grow).
Listens on 127.0.0.1; stops on SIGTERM/SIGINT.
"""
import asyncio
import collections
import signal
import socket
import sys


class Pipe:
    """One direction of one connection: chunks waiting for their deadline, then written."""

    def __init__(self, loop, writer, delay):
        self.loop, self.writer, self.delay = loop, writer, delay
        self.queue = collections.deque()
        self.eof = False

    def push(self, data):
        self.queue.append((self.loop.time() + self.delay, data))
        if len(self.queue) == 1:
            self.loop.call_at(self.queue[0][0], self.flush)

    def close_after_queue(self):
        self.eof = True
        if not self.queue:
            self.writer.close()

    def flush(self):
        now = self.loop.time()
        while self.queue and self.queue[0][0] <= now:
            self.writer.write(self.queue.popleft()[1])
        if self.queue:
            self.loop.call_at(self.queue[0][0], self.flush)
        elif self.eof:
            self.writer.close()


async def pump(reader, pipe):
    try:
        while True:
            data = await reader.read(256 * 1024)
            if not data:
                break
            pipe.push(data)
            # back-pressure: let the peer's socket drain when too much is buffered
            if pipe.writer.transport.get_write_buffer_size() > 8 * 1024 * 1024:
                await pipe.writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        pipe.close_after_queue()


async def main():
    listen, host, port = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    delay = (float(sys.argv[4]) if len(sys.argv) > 4 else 10.0) / 1000.0
    loop = asyncio.get_running_loop()

    async def handle(client_r, client_w):
        try:
            server_r, server_w = await asyncio.open_connection(host, port)
        except OSError:
            client_w.close()
            return
        for w in (client_w, server_w):
            sock = w.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        await asyncio.gather(pump(client_r, Pipe(loop, server_w, delay)),
                             pump(server_r, Pipe(loop, client_w, delay)))

    server = await asyncio.start_server(handle, "127.0.0.1", listen)
    stop = loop.create_future()
    for s in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(s, stop.set_result, None)
    async with server:
        await stop


if __name__ == "__main__":
    asyncio.run(main())
