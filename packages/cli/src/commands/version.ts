import type { CommandGroup } from '../program.js';
import { formatVersion } from '../version.js';

export const versionCommand = {
  name: 'version',
  description: 'Print fabric-peer version.',
  run(io: { stdout: (t: string) => void }): number {
    io.stdout(formatVersion());
    return 0;
  },
} satisfies Pick<CommandGroup, 'name' | 'description'> & { run: unknown };
