/** A mistake in a compose file: the file and where, in a sentence. */
export class ComposeError extends Error {}
