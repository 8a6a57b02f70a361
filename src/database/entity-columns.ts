import { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/**
 * Every column of an entity under a table alias, for hand-written SQL on the hot paths: the
 * SELECT list is built once from TypeORM's metadata (so it follows the entity), and `read`
 * turns a row into the same entity TypeORM would have loaded, without a query builder.
 */
export class EntityColumns<T extends ObjectLiteral> {
  /** `"a"."id" AS "a_id", "a"."reference" AS "a_reference", …` */
  readonly select: string;
  private readonly columns: Array<{ key: string; column: ColumnMetadata }>;
  private readonly primaryKey: string;
  private readonly metadata: EntityMetadata;

  constructor(
    private readonly dataSource: DataSource,
    target: EntityTarget<T>,
    readonly alias: string,
  ) {
    const metadata = dataSource.getMetadata(target);
    this.metadata = metadata;
    this.columns = metadata.columns.map((column) => ({ key: `${alias}_${column.databaseName}`, column }));
    this.select = this.columns.map(({ key, column }) => `"${alias}"."${column.databaseName}" AS "${key}"`).join(', ');
    this.primaryKey = `${alias}_${metadata.primaryColumns[0]!.databaseName}`;
  }

  /** The entity in this row, or undefined when the row has none (an outer join that found nothing). */
  read(row: Record<string, unknown>): T | undefined {
    if (row[this.primaryKey] === null || row[this.primaryKey] === undefined) return undefined;
    const entity = this.metadata.create() as T;
    for (const { key, column } of this.columns) column.setEntityValue(entity, this.dataSource.driver.prepareHydratedValue(row[key], column));
    return entity;
  }
}
