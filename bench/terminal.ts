/**
 * The benchmark's own output, and the capture of everything the service writes.
 *
 * The handlers' log lines (Powertools JSON and EMF metrics, what CloudWatch Logs would ingest) are counted
 * in bytes and kept off the terminal; anything else the process writes passes through. The benchmark
 * itself writes through the original streams, so its table and progress line are never counted.
 */

type Write = (text: string) => void;

export interface Terminal {
  readonly out: Write;
  readonly err: Write;
  readonly isTty: boolean;
}

/** Bound before any capture starts. */
export function terminal(): Terminal {
  const stdout = process.stdout.write.bind(process.stdout);
  const stderr = process.stderr.write.bind(process.stderr);
  return {
    out: (text) => void stdout(text),
    err: (text) => void stderr(text),
    isTty: Boolean(process.stderr.isTTY),
  };
}

/** A line the deployed handler would have written to its log group. */
function isServiceLine(line: string): boolean {
  return line.startsWith('{');
}

export interface LogCapture {
  /** Bytes and lines of service log output so far (each line with its newline). */
  readonly bytes: () => number;
  readonly lines: () => number;
  stop(): void;
}

/** `onLine` sees each service line (the EMF metrics are read from them). */
export function captureServiceLogs(passThrough: Write, onLine?: (line: string) => void): LogCapture {
  let bytes = 0;
  let lines = 0;
  const streams = [process.stdout, process.stderr] as const;
  const originals = streams.map((stream) => stream.write);
  const partial = ['', ''];
  streams.forEach((stream, index) => {
    stream.write = function write(chunk: unknown, ...rest: unknown[]): boolean {
      const text =
        typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
      const pieces = (partial[index] + text).split('\n');
      partial[index] = pieces.pop()!;
      for (const line of pieces) {
        if (isServiceLine(line)) {
          bytes += Buffer.byteLength(line) + 1;
          lines += 1;
          onLine?.(line);
        } else passThrough(`${line}\n`);
      }
      const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    } as typeof stream.write;
  });
  return {
    bytes: () => bytes,
    lines: () => lines,
    stop() {
      streams.forEach((stream, index) => (stream.write = originals[index]!));
    },
  };
}
