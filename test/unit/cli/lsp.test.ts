import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { CLI, rampart } from './run';

describe('rampart lsp', () => {
  it('needs a transport, and says which, with exit code 2', () => {
    const r = rampart(['lsp']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--stdio/);
    assert.equal(r.out, '', 'nothing on stdout: an editor would read it as protocol');
    assert.equal(rampart(['lsp', '--stdoi']).code, 2);
  });

  it('is listed in the help, with its own --help', () => {
    assert.match(rampart(['--help']).out, /lsp --stdio/);
    assert.match(rampart(['lsp', '--help']).out, /language server/);
  });

  it('answers initialize over stdio as an editor starts it', async () => {
    const child = spawn(process.execPath, [CLI, 'lsp', '--stdio']);
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    let out = '';
    const answered = new Promise<void>(resolve => child.stdout.on('data', (d: Buffer) => { out += d; if (out.includes('"capabilities"')) resolve(); }));
    child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    await answered;
    child.kill();
    assert.match(out, /^Content-Length: \d+\r\n\r\n\{"jsonrpc":"2.0","id":1,"result":\{"capabilities"/);
    assert.match(out, /"hoverProvider":true/);
  });
});
