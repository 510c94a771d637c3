/**
 * The progress indicator: one status line on stderr, rewritten in place on a terminal (a line every few
 * seconds otherwise, so CI logs stay short), and one line per finished phase.
 */
import { performance } from 'node:perf_hooks';
import type { Terminal } from './terminal';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const PLAIN_INTERVAL_MS = 5000;

export class Progress {
  private readonly started = performance.now();
  private phaseStarted = performance.now();
  private frame = 0;
  private lastPlain = 0;
  private shown = false;
  private index = 0;

  constructor(
    private readonly term: Terminal,
    private readonly phases: number,
  ) {}

  phase(name: string): void {
    this.clear();
    this.index += 1;
    this.phaseStarted = performance.now();
    this.lastPlain = 0;
    this.term.err(`[${this.index}/${this.phases}] ${name}\n`);
  }

  /** The current state of the phase, e.g. "sent 1200/3000, processed 1150". */
  update(status: string): void {
    const elapsed = `${((performance.now() - this.phaseStarted) / 1000).toFixed(1)} s`;
    if (this.term.isTty) {
      this.frame = (this.frame + 1) % SPINNER.length;
      this.term.err(`\r\x1b[2K  ${SPINNER[this.frame]} ${status}  (${elapsed})`);
      this.shown = true;
    } else if (performance.now() - this.lastPlain >= PLAIN_INTERVAL_MS) {
      this.lastPlain = performance.now();
      this.term.err(`  ${status}  (${elapsed})\n`);
    }
  }

  done(summary: string): void {
    this.clear();
    this.term.err(`  ✓ ${summary} (${((performance.now() - this.phaseStarted) / 1000).toFixed(1)} s)\n`);
  }

  note(text: string): void {
    this.clear();
    this.term.err(`  ${text}\n`);
  }

  totalSeconds(): number {
    return (performance.now() - this.started) / 1000;
  }

  /** Calls `status` every 250 ms until the returned stop function is called. */
  ticker(status: () => string): () => void {
    const timer = setInterval(() => this.update(status()), 250);
    return () => clearInterval(timer);
  }

  private clear(): void {
    if (this.shown) this.term.err('\r\x1b[2K');
    this.shown = false;
  }
}
