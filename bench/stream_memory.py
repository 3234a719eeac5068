#!/usr/bin/python3
# Load of issue 17, item 4: CONNS connections x STREAMS concurrent
# StreamScanText streams held open against divcheckd on 127.0.0.1; prints the
# server's peak and current RSS while they are open and after they are gone.
# Loopback only; the streams are cancelled after HOLD seconds.
#
#   /usr/bin/python3 bench/stream_memory.py PORT PID CONNS STREAMS HOLD
#
# Needs Debian's python3-grpcio; docs/PERFORMANCE.md ("Memory under many
# streams") has the figures.
import asyncio, sys, time
import grpc

def status_kb(pid, field):
    for line in open(f'/proc/{pid}/status'):
        if line.startswith(field + ':'):
            return int(line.split()[1])
    return -1

async def one(channel, msg, admitted):
    call = channel.stream_stream('/divcheck.v1.ScanService/StreamScanText')()
    await call.write(msg)
    await call.read()
    admitted[0] += 1
    await asyncio.sleep(3600)

async def main():
    port, pid, conns, streams, hold = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    text = ('Wir suchen junge, dynamische Verkäufer (m/w/d) für unser Team. ' * 16).encode()
    msg = b'\x0a' + bytes([len(text) & 0x7f | 0x80, len(text) >> 7]) + text + b'\x12\x02de'
    chans = [grpc.aio.insecure_channel(f'127.0.0.1:{port}', options=[('divcheck.load', i)]) for i in range(conns)]
    admitted = [0]
    t0 = time.time()
    tasks = [asyncio.ensure_future(one(chans[i % conns], msg, admitted)) for i in range(conns * streams)]
    await asyncio.sleep(hold)
    print(f'after {time.time()-t0:.1f}s: {admitted[0]} streams answered; server VmRSS {status_kb(pid,"VmRSS")/1024:.0f} MiB, VmHWM {status_kb(pid,"VmHWM")/1024:.0f} MiB', flush=True)
    for t in tasks: t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for c in chans: await c.close()
    await asyncio.sleep(5)
    print(f'5 s after closing: server VmRSS {status_kb(pid,"VmRSS")/1024:.0f} MiB, VmHWM {status_kb(pid,"VmHWM")/1024:.0f} MiB', flush=True)

asyncio.run(main())
