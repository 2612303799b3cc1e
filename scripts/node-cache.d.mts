export declare const NODE_VERSIONS: { 22: string; 24: string };
export declare function nodeCache(): string;
export declare function pinnedNode(version: string, log?: 'inherit' | 'pipe'): string;
