/** Everything the app logs, as written: a pino destination for the tests that read the log. */
export class LogCapture {
  readonly chunks: string[] = [];
  write(chunk: string | Buffer): boolean {
    this.chunks.push(String(chunk));
    return true;
  }
  get text(): string {
    return this.chunks.join('');
  }
}
