/** The servers people forward most from a training or Studio container, offered first. */
export const COMMON_PORTS: readonly { readonly port: number; readonly name: string }[] = [
  { port: 8888, name: 'Jupyter' },
  { port: 6006, name: 'TensorBoard' },
  { port: 5678, name: 'debugpy' },
  { port: 5901, name: 'VNC' },
  { port: 8265, name: 'Ray dashboard' },
];

/** "Jupyter" for 8888; undefined for a port not in the list. */
export function commonPortName(port: number): string | undefined {
  return COMMON_PORTS.find((common) => common.port === port)?.name;
}
