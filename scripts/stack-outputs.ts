/** The outputs of a deployed stage's stack (ApiBaseUrl, the queue ARNs...), found by the stage's stack names. */
export async function stackOutputs(
  stage: string,
  half: 'stateful' | 'stateless',
): Promise<Map<string, string>> {
  const [{ CloudFormationClient, DescribeStacksCommand }, { STAGES, STAGE_NAMES, stackNames }] =
    await Promise.all([import('@aws-sdk/client-cloudformation'), import('../lib/stage-config')]);
  if (!(STAGE_NAMES as readonly string[]).includes(stage))
    throw new Error(`unknown stage ${JSON.stringify(stage)}: --stage ${STAGE_NAMES.join('|')}`);
  const stackName = stackNames(STAGES[stage as keyof typeof STAGES])[half];
  const cloudFormation = new CloudFormationClient({});
  try {
    const { Stacks: stacks = [] } = await cloudFormation.send(
      new DescribeStacksCommand({ StackName: stackName }),
    );
    return new Map(
      (stacks[0]?.Outputs ?? []).flatMap((output) =>
        output.OutputKey && output.OutputValue ? [[output.OutputKey, output.OutputValue] as const] : [],
      ),
    );
  } finally {
    cloudFormation.destroy();
  }
}
