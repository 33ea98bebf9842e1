/** The server's public base URL: GATEHOUSE_PUBLIC_URL, else the address it actually listens on. */
import type { AddressInfo } from 'node:net';
import { publicUrlOf, type GatehouseConfig } from '../../config/index.js';

export class PublicUrl {
  private server: { address(): AddressInfo | string | null } | undefined;

  constructor(private readonly config: Pick<GatehouseConfig, 'publicUrl' | 'host' | 'port'>) {}

  /** The HTTP server whose listen address is the default (its port may be chosen at listen time). */
  bind(server: { address(): AddressInfo | string | null }): void {
    this.server = server;
  }

  get(): string {
    if (this.config.publicUrl !== undefined) return this.config.publicUrl;
    const a = this.server?.address();
    return publicUrlOf(a && typeof a === 'object' ? { publicUrl: undefined, host: this.config.host, port: a.port } : this.config);
  }
}
