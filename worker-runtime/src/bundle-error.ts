/** A task bundle that cannot be used; the message names the file and what is wrong. */
export class BundleError extends Error {
  override readonly name = 'BundleError';
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`task bundle ${file}: ${problem}`);
  }
}
