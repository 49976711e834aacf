import type { IRestApi, RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { ITable, Table } from 'aws-cdk-lib/aws-dynamodb';

/*
 * aws-cdk-lib declares some optional members as `x: T | undefined` on a class and `x?: T` on the
 * interface it implements (Table.tableStreamArn, RestApi's…), which `exactOptionalPropertyTypes`
 * rejects although CDK accepts the class wherever it asks for the interface. These name that one
 * conversion at the call sites that hand our constructs to CDK APIs typed on the interface.
 */
export const tableInterface = (table: Table): ITable => table as ITable;
export const restApiInterface = (api: RestApi): IRestApi => api as IRestApi;
