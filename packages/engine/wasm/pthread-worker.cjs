'use strict';
// The entry of each Node worker_thread that runs one pthread of tfjs's threaded
// wasm backend (see ../src/node/wasm-threads.ts). tfjs ships the Emscripten
// pthread bootstrap only as a string (meant for a blob: URL, which Node's
// Worker cannot load); this file runs that same string in the worker.
const fs = require('fs');
const path = require('path');
// Beside a bundled engine (the .vsix) the bootstrap is copied next to this file.
const sibling = path.join(__dirname, 'tfjs-backend-wasm-threaded-simd.worker.js');
const { wasmWorkerContents } = require(fs.existsSync(sibling) ? sibling : '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js');
// The string was written for a JS string literal: its "\n" escapes became newlines.
new Function('require', '__filename', wasmWorkerContents.replace(/\n/g, '\\n'))(require, __filename);
