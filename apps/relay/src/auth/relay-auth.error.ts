/** The caller could not be authenticated; answered with 401 in the client's API format. */
export class RelayAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RelayAuthError';
  }
}
