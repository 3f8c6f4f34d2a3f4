// Name resolution for every carer connection (webhook, MQTT over TCP, TLS or WebSocket): a carer name that was on
// the local network when saved (carer.local) cannot be made to point at the internet (or at 0.0.0.0) later. Node only.
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import { isLocalHost } from '../settings/local-network';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
/** dns.lookup's shape: what http.request, net.connect, tls.connect and ws call to resolve a host name. */
export type LookupFunction = (hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback) => void;

/** Resolves like `base` but fails unless every address is on the local network. */
export function localOnlyLookup(base: LookupFunction = dnsLookup as LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    base(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const list = addresses as LookupAddress[];
      const outside = list.find(({ address }) => !isLocalHost(address));
      if (outside || list.length === 0) {
        const refusal: NodeJS.ErrnoException = new Error(`${hostname} resolves to ${outside?.address ?? 'nothing'}, which is not on the local network`);
        refusal.code = 'ENOTLOCAL';
        return callback(refusal, '');
      }
      if ((options as LookupAllOptions).all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}
