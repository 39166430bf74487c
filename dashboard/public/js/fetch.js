// @ts-check
/// <reference lib="dom" />
/**
 * Fetching the JSON API.
 *
 * @module
 */

/** An answer that was not 2xx, with the server's message. */
export class ApiError extends Error {
  /**
   * @param {string} message The server's `error`, or what answered what.
   * @param {number} status The HTTP status.
   */
  constructor(message, status) {
    super(message);
    this.name = "ApiError";
    this.status = status;
  }
}

/**
 * Fetches a route of the JSON API.
 *
 * @param {string} url The route, e.g. `/api/runs`.
 * @param {RequestInit} [options] Method, headers and body.
 * @returns {Promise<any>} The parsed body.
 * @throws {ApiError} When the status is not 2xx.
 */
export async function getJson(url, options) {
  const response = await fetch(url, options);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(body.error ?? `${url} answered ${response.status}`, response.status);
  return body;
}
