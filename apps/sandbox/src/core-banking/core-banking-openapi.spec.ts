import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import openapi from '../../../../docs/core-banking.openapi.json';
import { CoreBankingController } from './core-banking.controller';
import { CoreBankingControlController } from './core-banking-control.controller';

/** "METHOD /path/{param}" for every route a controller declares (Nest's own metadata). */
function routesOf(controller: abstract new (...args: never[]) => unknown): string[] {
  const prefix = String(Reflect.getMetadata(PATH_METADATA, controller));
  const proto = controller.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(proto)
    .filter((name) => name !== 'constructor')
    .map((name) => proto[name])
    .filter(
      (fn): fn is object => typeof fn === 'function' && Reflect.hasMetadata(PATH_METADATA, fn),
    )
    .map((fn) => {
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, fn) as number];
      const path = `${prefix}/${String(Reflect.getMetadata(PATH_METADATA, fn))}`
        .replace(/^core\/v1/, '')
        .replace(/:(\w+)/g, '{$1}');
      return `${method} ${path}`;
    })
    .sort();
}

function documented(): string[] {
  return Object.entries(openapi.paths as Record<string, Record<string, unknown>>)
    .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();
}

describe('docs/core-banking.openapi.json', () => {
  it('documents every route of the core-banking API, and nothing else', () => {
    expect(routesOf(CoreBankingController)).toEqual(documented());
    expect(documented()).toContain('POST /customers/{id}/cards/{cardId}/unblock');
  });

  it('keeps the test controls out of the contract', () => {
    expect(routesOf(CoreBankingControlController).length).toBeGreaterThan(5);
    expect(documented().some((r) => r.includes('_control'))).toBe(false);
  });

  it('is OpenAPI 3.1 with the signed event webhook a bank must send', () => {
    expect(openapi.openapi).toBe('3.1.0');
    const hook = openapi.webhooks.coreEvent.post;
    expect(hook.parameters.map((p) => p.name)).toEqual(['X-Core-Signature']);
    expect(Object.keys(hook.responses)).toEqual(expect.arrayContaining(['202', '401', '503']));
    expect(openapi.components.schemas.CoreEvent.properties.kind.enum).toEqual([
      'card_blocked_by_fraud',
      'sim_swap',
      'new_device',
      'card_unblocked',
      'phone_changed',
    ]);
  });

  it('only references components that exist', () => {
    const text = JSON.stringify(openapi);
    const refs = [...text.matchAll(/"\$ref":"#\/components\/(\w+)\/(\w+)"/g)];
    expect(refs.length).toBeGreaterThan(10);
    const components = openapi.components as Record<string, Record<string, unknown>>;
    for (const [, kind, name] of refs) expect(components[kind!]?.[name!]).toBeDefined();
  });
});
