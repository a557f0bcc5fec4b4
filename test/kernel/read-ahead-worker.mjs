// Run by read-ahead.test.ts in a process of its own: a worker lists the links of namespace
// argv[2] over and over; the worker is terminated as soon as its first dump is handed to the
// read-ahead thread. The process must then exit normally (0, "terminated" on stdout), not
// abort in a thread still using what the terminated worker's environment freed.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const dist = new URL('../../dist/', import.meta.url);
if (isMainThread) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { netns: process.argv[2] } });
  worker.once('message', () => {
    void worker.terminate().then(() => console.log('terminated'));
  });
  worker.once('error', (err) => {
    console.error(err);
    process.exitCode = 1;
  });
} else {
  const { native } = await import(new URL('native/binding.js', dist).href);
  const { connectInNetns, Links } = await import(new URL('index.js', dist).href);
  const readAhead = native.readAhead;
  native.readAhead = (fd, onDatagram) => {
    const started = readAhead(fd, onDatagram);
    parentPort.postMessage('reading ahead');
    return started;
  };
  for (;;) {
    const conn = connectInNetns(workerData.netns);
    await new Links(conn).list();
    conn.close();
  }
}
