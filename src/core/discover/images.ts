/**
 * What a container image is, from its name: the element type, kind and technology a drafted model gives it,
 * and the protocol clients speak to it. Matched on the words of the image's last path segment (registry, tag
 * and digest dropped): `docker.io/bitnami/postgresql:16` -> `postgresql`, `confluentinc/cp-kafka` -> cp, kafka.
 */
import type { Element, ElementType } from '../model/schema';

type ElementKind = NonNullable<Element['kind']>;

export interface ImageClass {
  type: ElementType;
  kind: ElementKind;
  technology?: string;
  /** The protocol clients use, when the image says it. */
  protocol?: string;
}

/** Image word -> what it is (the README's mapping table lists these). */
export const IMAGE_CLASSES: Readonly<Record<string, ImageClass>> = {
  postgres: { type: 'store', kind: 'database', technology: 'PostgreSQL', protocol: 'postgresql' },
  postgresql: { type: 'store', kind: 'database', technology: 'PostgreSQL', protocol: 'postgresql' },
  postgis: { type: 'store', kind: 'database', technology: 'PostgreSQL', protocol: 'postgresql' },
  mysql: { type: 'store', kind: 'database', technology: 'MySQL', protocol: 'mysql' },
  mariadb: { type: 'store', kind: 'database', technology: 'MariaDB', protocol: 'mysql' },
  mongo: { type: 'store', kind: 'database', technology: 'MongoDB', protocol: 'mongodb' },
  mongodb: { type: 'store', kind: 'database', technology: 'MongoDB', protocol: 'mongodb' },
  elasticsearch: { type: 'store', kind: 'database', technology: 'Elasticsearch', protocol: 'http' },
  opensearch: { type: 'store', kind: 'database', technology: 'OpenSearch', protocol: 'http' },
  redis: { type: 'store', kind: 'cache', technology: 'Redis', protocol: 'redis' },
  valkey: { type: 'store', kind: 'cache', technology: 'Valkey', protocol: 'redis' },
  memcached: { type: 'store', kind: 'cache', technology: 'Memcached', protocol: 'memcached' },
  rabbitmq: { type: 'store', kind: 'queue', technology: 'RabbitMQ', protocol: 'amqp' },
  kafka: { type: 'store', kind: 'queue', technology: 'Kafka', protocol: 'kafka' },
  nats: { type: 'store', kind: 'queue', technology: 'NATS', protocol: 'nats' },
  nginx: { type: 'process', kind: 'gateway', technology: 'nginx', protocol: 'http' },
  traefik: { type: 'process', kind: 'gateway', technology: 'Traefik', protocol: 'http' },
  envoy: { type: 'process', kind: 'gateway', technology: 'Envoy', protocol: 'http' },
  haproxy: { type: 'process', kind: 'gateway', technology: 'HAProxy', protocol: 'http' },
  vault: { type: 'store', kind: 'vault', technology: 'HashiCorp Vault', protocol: 'https' },
};

/** The repository path of an image without registry, tag and digest: `ghcr.io/org/app:1@sha256:…` -> `org/app`. */
export function imageName(image: string): string {
  let s = image.trim().split('@')[0];
  const slash = s.lastIndexOf('/');
  const colon = s.lastIndexOf(':');
  if (colon > slash) s = s.slice(0, colon);
  const parts = s.split('/');
  if (parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost')) parts.shift();
  if (parts[0] === 'library' && parts.length > 1) parts.shift();
  return parts.join('/');
}

/** Type, kind and technology of a service running `image` (a process of kind service when the name says nothing). */
export function classifyImage(image: string | undefined): ImageClass {
  if (!image) return { type: 'process', kind: 'service' };
  const name = imageName(image);
  const last = name.split('/').pop() ?? name;
  for (const word of last.toLowerCase().split(/[^a-z0-9]+/)) {
    const c = Object.hasOwn(IMAGE_CLASSES, word) ? IMAGE_CLASSES[word] : undefined;
    if (c) return c;
  }
  return { type: 'process', kind: 'service', technology: name || undefined };
}
