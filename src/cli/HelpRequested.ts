/**
 * Not a failure: the user asked for a command's help (`--help`, `-h`). Thrown by the argument
 * parser so that no command runs past it; the command line prints `text` on stdout and exits 0.
 */
export class HelpRequested extends Error {
  constructor(readonly text: string) {
    super('help requested');
    this.name = 'HelpRequested';
  }
}
