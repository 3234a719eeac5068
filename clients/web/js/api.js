// The calls to divcheckd's HTTP/JSON API (docs/API.md), on the server that
// served this page. Errors come as google.rpc.Status JSON; they are thrown
// as ApiError with the HTTP status, the ErrorInfo reason and metadata.

export class ApiError extends Error {
  constructor(status, reason, message, metadata) {
    super(message);
    this.status = status;        // HTTP status; 0 when the server was not reached
    this.reason = reason || '';  // e.g. "TEXT_TOO_LARGE"
    this.metadata = metadata || {};
  }
}

// The ErrorInfo of a google.rpc.Status body, or {} when there is none.
function errorInfo(body) {
  for (const d of (body && body.details) || []) {
    if (String(d['@type'] || '').endsWith('google.rpc.ErrorInfo')) return d;
  }
  return {};
}

// POST /v1/scan: the Report of `text` ("" language = detect).
export async function scan(text, languageCode, signal) {
  let response;
  try {
    response = await fetch('/v1/scan', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text, languageCode }),
      signal,
      cache: 'no-store',
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', String(e.message || e));
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const info = errorInfo(body);
    throw new ApiError(response.status, info.reason,
                       (body && body.message) || response.statusText, info.metadata);
  }
  return (body && body.report) || {};
}

// A call to the JSON API: `method` on `path` with `body` (an object, sent
// as JSON) or none. Returns the parsed answer; throws ApiError.
export async function request(method, path, body, signal) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      cache: 'no-store',
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', String(e.message || e));
  }
  let answer = null;
  try {
    answer = await response.json();
  } catch {
    answer = null;
  }
  if (!response.ok) {
    const info = errorInfo(answer);
    throw new ApiError(response.status, info.reason,
                       (answer && answer.message) || response.statusText, info.metadata);
  }
  return answer || {};
}
