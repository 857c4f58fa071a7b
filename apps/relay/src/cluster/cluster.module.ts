import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { MemorySharedStateStore } from './memory-shared-state.store';
import { SharedStateStore } from './shared-state.store';

@Global()
@Module({
  providers: [{ provide: SharedStateStore, useFactory: () => new MemorySharedStateStore() }],
  exports: [SharedStateStore],
})
export class ClusterModule implements OnApplicationShutdown {
  constructor(@Inject(SharedStateStore) private readonly store: SharedStateStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
