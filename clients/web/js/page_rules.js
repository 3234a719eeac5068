// The rules page (#rules): a placeholder until its page is built (issue 16).
// Page contract: see main.js.

export function init() {}

export function show() {}
