/**
 * Captures everything the service writes while a suite runs: the Powertools logger's JSON lines (it
 * writes to process.stdout/stderr through its own Console), and console calls (the local runner's error
 * hooks). The stress config sets POWERTOOLS_LOG_LEVEL=DEBUG, so every line the service can emit is seen.
 * Service lines are kept (and written to a file under the OS temp directory) instead of flooding the test
 * output; anything else is passed through.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { format } from 'node:util';

export interface LogCapture {
  /** Every captured line so far. */
  lines(): readonly string[];
  /** Powertools JSON lines at a level (or more severe: 'ERROR' includes CRITICAL). */
  linesAt(
    level: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR',
  ): readonly { level: string; message: string; line: string }[];
  readonly file: string;
  stop(): void;
}

const SEVERITY = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL'];

/** A Powertools JSON line: what the deployed handlers write to their log groups. */
function isServiceLine(line: string): boolean {
  if (!line.startsWith('{')) return false;
  try {
    return typeof (JSON.parse(line) as { level?: unknown }).level === 'string';
  } catch {
    return false;
  }
}

export function captureLogs(suite: string): LogCapture {
  const directory = path.join(tmpdir(), 'buygoods-stress-logs');
  mkdirSync(directory, { recursive: true });
  const file = path.join(directory, `${suite}.log`);
  writeFileSync(file, '');
  const captured: string[] = [];
  const keep = (line: string) => {
    captured.push(line);
    appendFileSync(file, `${line}\n`);
  };

  const streams = [process.stdout, process.stderr] as const;
  const originals = streams.map((stream) => stream.write);
  const partial = ['', ''];
  streams.forEach((stream, index) => {
    const original = originals[index]!;
    stream.write = function write(chunk: unknown, ...rest: unknown[]): boolean {
      const text =
        typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
      const pieces = (partial[index] + text).split('\n');
      partial[index] = pieces.pop()!;
      const passThrough: string[] = [];
      for (const line of pieces) {
        if (isServiceLine(line)) keep(line);
        else passThrough.push(line);
      }
      if (passThrough.length > 0)
        return (original as (...args: unknown[]) => boolean).call(
          stream,
          `${passThrough.join('\n')}\n`,
          ...rest,
        );
      const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    } as typeof stream.write;
  });

  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const consoleOriginals = methods.map((method) => console[method]);
  methods.forEach((method, index) => {
    console[method] = (...args: unknown[]) => {
      const text = format(...args);
      for (const line of text.split('\n')) keep(`console.${method}: ${line}`);
      if (!text.split('\n').every(isServiceLine)) consoleOriginals[index]!.apply(console, args);
    };
  });

  return {
    file,
    lines: () => captured,
    linesAt(level) {
      const threshold = SEVERITY.indexOf(level);
      return captured.flatMap((line) => {
        if (!line.startsWith('{')) return [];
        try {
          const parsed = JSON.parse(line) as { level?: string; message?: string };
          return SEVERITY.indexOf(parsed.level ?? '') >= threshold
            ? [{ level: parsed.level!, message: parsed.message ?? '', line }]
            : [];
        } catch {
          return [];
        }
      });
    },
    stop() {
      streams.forEach((stream, index) => (stream.write = originals[index]!));
      methods.forEach((method, index) => (console[method] = consoleOriginals[index]!));
    },
  };
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;

/**
 * The lines that carry a customer's name or email: any of the given values (case-insensitive, and
 * URL-encoded too), or anything shaped like an email address.
 */
export function linesWithCustomerData(
  lines: readonly string[],
  customers: readonly { name: string; email: string }[],
): string[] {
  const needles = customers.flatMap(({ name, email }) =>
    [name, email, encodeURIComponent(name), encodeURIComponent(email), name.replace(/ /g, '+')].map((value) =>
      value.toLowerCase(),
    ),
  );
  return lines.filter((line) => {
    const lower = line.toLowerCase();
    return EMAIL.test(line) || needles.some((needle) => lower.includes(needle));
  });
}
