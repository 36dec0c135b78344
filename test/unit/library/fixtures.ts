/** Library and model texts shared by the library tests. */
import type { LibraryFile } from '../../../src/core/library/types';

export const LIB = `rampart-library: 1
name: acme
description: ACME platform threats
threats:
  pg-sqli:
    title: SQL injection into {name}
    description: Queries to {name} built from request data.
    stride: [tampering]
    cwe: [CWE-89]
    capec: [CAPEC-66]
    applies_to: { element: { type: store, technology: postgres } }
    likelihood: possible
    impact: major
    mitigations: ['Parameterised queries for {name}']
  redis-open:
    title: Unauthenticated access to {name}
    stride: [information-disclosure]
    applies_to:
      element: { kind: cache, technology: [redis, valkey] }
  tls-downgrade:
    title: TLS downgrade on {name}
    stride: [tampering]
    applies_to: { flow: { crosses_boundary: true } }
templates:
  base-store:
    element: { type: store, controls: [backup] }
    mitigations:
      backups: { title: 'Nightly backups of {name}', status: implemented }
  postgres:
    title: PostgreSQL database
    extends: base-store
    element:
      name: PostgreSQL
      kind: database
      technology: PostgreSQL 16
      encrypted: true
      controls: [encryption-at-rest]
    threats:
      - pg-sqli
      - id: pg-dump
        title: Database dump of {name} leaked
        stride: [information-disclosure]
        mitigations: [encrypted-dumps]
    mitigations:
      encrypted-dumps: { title: 'Encrypted dumps of {name}' }
rules:
  db-without-backup:
    title: Database without backup
    severity: warning
    message: Database {name} ({id}) in {boundary} records no {missing}.
    why: Without backups a ransomware attack loses the data for good.
    covers: [backup, ransomware]
    when:
      element: { type: store, kind: [database], missing_controls: [backup] }
    threat:
      title: Data of {name} lost for good
      stride: [denial-of-service]
      cwe: [CWE-1059]
      likelihood: unlikely
      impact: major
  plaintext-confidential:
    title: Confidential data in clear across a boundary
    severity: error
    message: Flow {id} from {from} to {to} carries {data} unencrypted.
    when:
      flow: { encrypted: false, crosses_boundary: true, data_classification: [confidential, restricted] }
    threat:
      title: '{data} sniffed on {name}'
      stride: [information-disclosure]
      linddun: [data-disclosure]
      cwe: [CWE-319]
`;

export const MODEL = `rampart: 1
title: Shop
boundaries:
  dmz: { name: DMZ, trust: partial }
  core: { name: Core, trust: trusted }
assets:
  orders: { name: Orders, classification: confidential }
elements:
  # the web tier
  web: { type: process, name: Web, boundary: dmz }
  orders-db: { type: store, name: Orders DB, kind: database, technology: PostgreSQL 15, boundary: core }
  backup-db: { type: store, name: Backup DB, kind: database, technology: MySQL, boundary: core, controls: [backup] }
  cache: { type: store, name: Cache, kind: cache, technology: Redis 7, boundary: core }
flows:
  web-to-db: { from: web, to: orders-db, protocol: postgres, data: [orders] }
  web-to-cache: { from: web, to: cache, protocol: tls, data: [orders] }
`;

export const file = (text: string, name = 'acme.yaml'): LibraryFile => ({ uri: `file:///repo/.rampart/${name}`, display: `.rampart/${name}`, text });
