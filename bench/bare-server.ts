/** The yardstick: a bare Node HTTP server that reads the body and answers 200, nothing else. */
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  req.on('data', () => undefined);
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end('<?xml version="1.0" encoding="UTF-8"?><Response/>');
  });
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(
    JSON.stringify({ port: typeof addr === 'object' && addr ? addr.port : 0 }) + '\n',
  );
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
