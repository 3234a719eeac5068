// "Open a file" on the ad check. Plain text (.txt) is read here in the
// browser: UTF-8, or UTF-16 with a byte-order mark, else Windows-1252, as
// the command-line tool reads it. Every other format divcheck reads (HTML,
// .docx, .odt, PDF) goes to the server as bytes (POST /v1/documents:scan),
// which answers with the text it extracted. A server without that call
// (older than this page's API) answers 404, which becomes a readable hint.

import { ApiError, scanDocument } from './api.js';
import { addStrings } from './i18n.js';

addStrings({
  de: {
    openFile: 'Datei öffnen',
    openFileHint: 'Text (.txt), HTML, Word (.docx), OpenDocument (.odt) oder PDF',
    fileReading: '„{name}“ wird gelesen …',
    fileLoaded: '„{name}“ geöffnet.',
    fileNotSupported: 'Dieser divcheck-Server kann {format}-Dateien noch nicht lesen (er ist älter als diese Seite). Öffnen Sie die Datei in Ihrem Programm und kopieren Sie den Text hier hinein, oder speichern Sie sie als .txt.',
    fileUnreadable: '„{name}“ konnte nicht gelesen werden: {message}',
    fileEmpty: '„{name}“ enthält keinen Text.',
  },
  en: {
    openFile: 'Open a file',
    openFileHint: 'Text (.txt), HTML, Word (.docx), OpenDocument (.odt) or PDF',
    fileReading: 'Reading "{name}" …',
    fileLoaded: '"{name}" opened.',
    fileNotSupported: 'This divcheck server cannot read {format} files yet (it is older than this page). Open the file in its program and paste the text here, or save it as .txt.',
    fileUnreadable: '"{name}" could not be read: {message}',
    fileEmpty: '"{name}" has no text.',
  },
});

export const ACCEPT = '.txt,.text,.html,.htm,.docx,.odt,.pdf,text/plain,text/html,application/pdf,' +
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document,' +
  'application/vnd.oasis.opendocument.text';

export function isPlainText(file) {
  return /\.(txt|text)$/i.test(file.name) || (file.type === 'text/plain' && !/\.\w+$/.test(file.name));
}

// The text of plain-text bytes: a UTF-8 or UTF-16 byte-order mark decides;
// without one, UTF-8 when the bytes are valid UTF-8, else Windows-1252.
export function decodeText(bytes) {
  const b = new Uint8Array(bytes);
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return new TextDecoder('utf-8').decode(b.subarray(3));
  if (b[0] === 0xff && b[1] === 0xfe) return new TextDecoder('utf-16le').decode(b.subarray(2));
  if (b[0] === 0xfe && b[1] === 0xff) return new TextDecoder('utf-16be').decode(b.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return new TextDecoder('windows-1252').decode(b);
  }
}

function read(file, how) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error || new Error('read error'));
    if (how === 'buffer') reader.readAsArrayBuffer(file);
    else reader.readAsDataURL(file);
  });
}

// The text of `file`: { text } or throws ApiError (from the server) or an
// Error with a user-readable `message`. `languageCode` is the ad language
// chosen ("" = detect).
export async function textOfFile(file, languageCode) {
  if (isPlainText(file)) return { text: decodeText(await read(file, 'buffer')), format: 'text' };
  const url = await read(file, 'data');
  const base64 = String(url).slice(String(url).indexOf(',') + 1);
  const answer = await scanDocument(base64, file.name, languageCode);
  return { text: answer.extractedText || '', format: answer.detectedFormat || '' };
}

// The file's format for messages: its extension in upper case ("DOCX").
export function formatOf(file) {
  const m = /\.(\w+)$/.exec(file.name);
  return m ? m[1].toUpperCase() : file.type || '?';
}

export { ApiError };
