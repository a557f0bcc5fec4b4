export { FakeKernel, datagram, type FakeHandler } from './fake-kernel.js';
