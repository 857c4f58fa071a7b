import { type FSWatcher, type Stats, unwatchFile, watch, watchFile } from 'node:fs';
import { basename, dirname } from 'node:path';

export interface WatchOptions {
  /** Quiet period after the last event before `onChange` runs (editors write in bursts). */
  debounceMs?: number;
  /** Stat polling interval: the fallback for file systems where directory events do not arrive. */
  pollIntervalMs?: number;
}

/**
 * Calls `onChange` (debounced) when any of `files` may have changed: created, edited, deleted, or
 * replaced by a rename. Directories are watched rather than files because a rename (editors,
 * Kubernetes ConfigMap `..data` symlink swaps) leaves a file watch on the old inode; stat polling
 * catches what directory events miss (network file systems, a directory created later).
 */
export class ConfigFileWatcher {
  private readonly watchers: FSWatcher[] = [];
  private readonly polled: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly files: readonly string[],
    private readonly onChange: () => void,
    private readonly options: WatchOptions = {},
  ) {}

  start(): void {
    const namesByDir = new Map<string, Set<string>>();
    for (const file of this.files) {
      const names = namesByDir.get(dirname(file)) ?? new Set<string>();
      names.add(basename(file));
      namesByDir.set(dirname(file), names);
    }
    for (const [dir, names] of namesByDir) this.watchDirectory(dir, names);
    const interval = this.options.pollIntervalMs ?? 1000;
    for (const file of new Set(this.files)) {
      watchFile(file, { persistent: false, interval }, (current, previous) => {
        if (statChanged(current, previous)) this.schedule();
      });
      this.polled.push(file);
    }
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const watcher of this.watchers.splice(0)) watcher.close();
    for (const file of this.polled.splice(0)) unwatchFile(file);
  }

  private watchDirectory(dir: string, names: ReadonlySet<string>): void {
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, { persistent: false }, (_event, filename) => {
        // `..data` and friends are the Kubernetes ConfigMap swap; a null name means "something changed".
        if (!filename || names.has(filename) || filename.startsWith('..')) this.schedule();
      });
    } catch {
      return; // the directory does not exist (yet): polling covers it
    }
    watcher.on('error', () => watcher.close());
    this.watchers.push(watcher);
  }

  private schedule(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (!this.closed) this.onChange();
    }, this.options.debounceMs ?? 200);
    this.timer.unref();
  }
}

function statChanged(current: Stats, previous: Stats): boolean {
  return (
    current.mtimeMs !== previous.mtimeMs ||
    current.ctimeMs !== previous.ctimeMs ||
    current.ino !== previous.ino ||
    current.size !== previous.size
  );
}
