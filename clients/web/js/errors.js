// The server's errors (ApiError) as sentences for the user, for the pages
// that call the API beyond the ad check, and the words those pages share.

import { ApiError } from './api.js';
import { addStrings, formatNumber, t } from './i18n.js';

addStrings({
  de: {
    required: 'Pflichtfeld',
    optional: 'freiwillig',
    errRequest: 'Die Anfrage ist fehlgeschlagen (HTTP {status}): {message}',
    errRequestTooLarge: 'Die Anfrage ist zu groß: Dieser Server nimmt höchstens {limit} an.',
    errRequestTooLargeNoLimit: 'Die Anfrage ist zu groß für diesen Server.',
  },
  en: {
    required: 'required',
    optional: 'optional',
    errRequest: 'The request failed (HTTP {status}): {message}',
    errRequestTooLarge: 'The request is too large: this server takes at most {limit}.',
    errRequestTooLargeNoLimit: 'The request is too large for this server.',
  },
});

function sizeText(bytes) {
  return bytes >= 10240 ? t('kilobytes', { n: formatNumber(Math.floor(bytes / 1024)) })
                        : t('bytes', { n: formatNumber(bytes) });
}

// A readable message for error `e`; `byReason` maps ErrorInfo reasons to
// i18n keys of the page (checked first).
export function apiErrorText(e, byReason = {}) {
  if (!(e instanceof ApiError)) return t('errRequest', { status: '?', message: String(e) });
  if (e.reason && byReason[e.reason]) return t(byReason[e.reason], { ...e.metadata, message: e.message });
  if (e.status === 0) return t('errNetwork');
  if (e.status === 413 || /TOO_LARGE$/.test(e.reason)) {
    const limit = Number(e.metadata.max_text_bytes || e.metadata.max_request_bytes || 0);
    return limit ? t('errRequestTooLarge', { limit: sizeText(limit) }) : t('errRequestTooLargeNoLimit');
  }
  if (e.status === 401 || e.reason === 'UNAUTHENTICATED') return t('errAuth');
  if (e.status === 429 || e.status === 503) return t('errBusy');
  return t('errRequest', { status: e.status, message: e.message });
}
