import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { LOG_BACKLOG_BYTES, droppedWarning, streamSink } from '../../core/cli/log-sink.js';

/** A stream whose reader never takes anything: every write stays pending (a full stderr pipe). */
function stuckStream(): Writable {
  return new Writable({ write: () => undefined });
}

describe('the CLI log sink', () => {
  it('never blocks on a reader that stopped: lines beyond the backlog are dropped and counted, memory stays bounded', () => {
    const stream = stuckStream();
    const sink = streamSink(stream, 'stderr');
    const logger = pino({ level: 'info', base: undefined }, sink);
    const line = 'x'.repeat(1000);
    for (let i = 0; i < 5000; i++) logger.info({ i, line }, 'busy');
    expect(sink.dropped).toBeGreaterThan(3000);
    expect(stream.writableLength).toBeLessThan(LOG_BACKLOG_BYTES + 2000);
    expect(droppedWarning(sink)).toMatch(
      /^cyntra-planner: warning: LOG_WRITE_FAILED: \d+ log lines could not be written to stderr \(the reader was not keeping up\)/,
    );
  });

  it('a stream that fails (EPIPE, ENOSPC) is not a crash: later lines are dropped and the first error is kept', async () => {
    const stream = new Writable({
      write: (_chunk, _enc, cb) => cb(Object.assign(new Error('EPIPE: broken pipe, write'), { code: 'EPIPE' })),
    });
    const sink = streamSink(stream, '/var/log/x.log');
    sink.write('one\n');
    await new Promise((r) => setImmediate(r));
    sink.write('two\n');
    sink.write('three\n');
    await sink.flush();
    expect(sink.dropped).toBe(3);
    expect(sink.error).toMatch(/EPIPE/);
    expect(droppedWarning(sink)).toMatch(
      /LOG_WRITE_FAILED: 3 log lines could not be written to \/var\/log\/x\.log \(EPIPE/,
    );
  });

  it('says nothing when nothing was dropped', async () => {
    const chunks: string[] = [];
    const sink = streamSink(new Writable({ write: (c, _e, cb) => (chunks.push(String(c)), cb()) }), 'stderr');
    sink.write('a\n');
    await sink.flush();
    expect(chunks.join('')).toBe('a\n');
    expect(droppedWarning(sink)).toBeNull();
  });
});
