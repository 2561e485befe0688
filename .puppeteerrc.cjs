// whatsapp-web.js pulls puppeteer: never let it download a browser, we use Debian's chromium.
module.exports = { skipDownload: true };
