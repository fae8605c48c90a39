/** Vitest setup file: every temp dir a test made with `makeTempDir` is removed after it, pass or fail. */
import { afterAll, afterEach, beforeEach } from 'vitest';
import { beginTest, endFile, endTest } from './temp-dir.js';

beforeEach(beginTest);
afterEach(endTest);
afterAll(endFile);
