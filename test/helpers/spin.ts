/** Keep the JS thread busy for `ms` without yielding (an event loop turn that runs long). */
export function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}
